% rebase('layout', title=title)
% fields = {'email': ('email', 'Email'), 'password': ('password', 'Password')}
<h1>Sign in</h1>
<p><a href="/register">Need an account?</a></p>
% include('form_errors', errors=errors, fields=fields)
<form method="post" action="/login" class="card narrow">
  {{!slot('form_fields')}}
  <input type="hidden" name="next" value="{{next or '/'}}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" value="{{form.get('email', '')}}" required
         autocomplete="username" {{!field_state(errors, 'email')}}>
  % include('field_errors', field='email', label='Email')
  <label for="password">Password</label>
  <input id="password" name="password" type="password" required
         autocomplete="current-password" {{!field_state(errors, 'password')}}>
  % include('field_errors', field='password', label='Password')
  <button>Sign in</button>
</form>
