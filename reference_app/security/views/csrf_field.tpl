% # Lesson 5: every form sends back this page's CSRF token (the "form_fields" slot).
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
