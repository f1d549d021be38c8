% # Lesson 3: a refused form's problems, listed above it. ``fields`` maps each error's
% # field to (the input's id, its visible label): each item names the field as the
% # page does and links to it. The summary takes focus as the page loads: autofocus
% # on an element with tabindex="-1", no script needed.
% # --8<-- [start:form_errors]
% if errors:
<div class="error-summary" id="error-summary" role="group" aria-labelledby="error-summary-title"
     tabindex="-1" autofocus>
  <h2 id="error-summary-title">There is a problem</h2>
  <ul>
    % for field, messages in errors.items():
    % field_id, label = fields.get(field, (field, field.capitalize()))
    <li><a href="#{{field_id}}">{{label}} {{' and '.join(messages)}}</a></li>
    % end
  </ul>
</div>
% end
% # --8<-- [end:form_errors]
