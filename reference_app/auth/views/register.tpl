% rebase('layout', title=title)
% fields = {'username': ('username', 'Username'), 'email': ('email', 'Email'), 'password': ('password', 'Password')}
<h1>Sign up</h1>
<p><a href="/login">Have an account?</a></p>
% include('form_errors', errors=errors, fields=fields)
<form method="post" action="/register" class="card narrow">
  {{!slot('form_fields')}}
  <label for="username">Username</label>
  <input id="username" name="username" value="{{form.get('username', '')}}" required
         autocomplete="username" {{!field_state(errors, 'username')}}>
  % include('field_errors', field='username', label='Username')
  <label for="email">Email</label>
  <input id="email" name="email" type="email" value="{{form.get('email', '')}}" required
         autocomplete="email" {{!field_state(errors, 'email')}}>
  % include('field_errors', field='email', label='Email')
  <label for="password">Password (at least 8 characters)</label>
  <input id="password" name="password" type="password" required minlength="8"
         autocomplete="new-password" {{!field_state(errors, 'password')}}>
  % include('field_errors', field='password', label='Password')
  <button>Sign up</button>
</form>
