% if errors:
<ul class="errors" role="alert">
  % for field, messages in errors.items():
  % for message in messages:
  <li>{{field}} {{message}}</li>
  % end
  % end
</ul>
% end
