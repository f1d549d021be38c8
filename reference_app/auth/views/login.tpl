% rebase('layout', title=title)
<h1>Sign in</h1>
<p><a href="/register">Need an account?</a></p>
% include('form_errors', errors=errors)
<form method="post" action="/login" class="card narrow">
  {{!slot('form_fields')}}
  <input type="hidden" name="next" value="{{next or '/'}}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" value="{{form.get('email', '')}}" required autocomplete="username">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" required autocomplete="current-password">
  <button>Sign in</button>
</form>
