% # Lesson 4: follow someone else (the profile page's "profile_actions" slot).
% if viewer and viewer['username'] != profile['username']:
<form method="post" action="/profile/{{quote(profile['username'])}}/follow" class="inline">
  {{!slot('form_fields')}}
  <button>{{'Unfollow' if profile['following'] else 'Follow'}} {{profile['username']}}</button>
</form>
% end
