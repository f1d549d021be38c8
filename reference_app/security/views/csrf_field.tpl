% # Lesson 5: every form sends back this page's CSRF token (the "form_fields" slot).
% # Empty when an earlier check (a 400, a 413) refused the request before the CSRF
% # hook ran: its error page must still render, not crash into a 500.
<input type="hidden" name="csrf_token" value="{{get('csrf_token', '')}}">
