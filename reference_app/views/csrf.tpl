% # Lesson 5 puts a CSRF token on every page; before that there is none to send.
% if defined('csrf_token'):
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
% end
