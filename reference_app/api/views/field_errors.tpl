% # Lesson 3: one field's problems, right beside the field ("body is too long ...").
% for message in errors.get(field, []):
<p class="errors" id="{{field}}-error" role="alert">{{label}} {{message}}</p>
% end
