% # Lesson 3: one field's problem, right beside the field ("Article is too long ...").
% # Its id is the one the field's aria-describedby names (field_state in core/pages.py).
% # --8<-- [start:field_errors]
% if errors.get(field):
<p class="field-error" id="{{field}}-error"><span class="visually-hidden">Error:</span> {{label}} {{' and '.join(errors[field])}}</p>
% end
% # --8<-- [end:field_errors]
