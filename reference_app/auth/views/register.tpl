% rebase('layout', title=title)
<h1>Sign up</h1>
<p><a href="/login">Have an account?</a></p>
% include('form_errors', errors=errors)
<form method="post" action="/register" class="card narrow">
  {{!slot('form_fields')}}
  <label for="username">Username</label>
  <input id="username" name="username" value="{{form.get('username', '')}}" required autocomplete="username">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" value="{{form.get('email', '')}}" required>
  <label for="password">Password (at least 8 characters)</label>
  <input id="password" name="password" type="password" required minlength="8" autocomplete="new-password">
  <button>Sign up</button>
</form>
