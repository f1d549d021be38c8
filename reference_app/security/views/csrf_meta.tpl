% # Lesson 5: the page's CSRF token, for scripts that post (the layout's "head" slot).
<meta name="csrf-token" content="{{get('csrf_token', '')}}">
