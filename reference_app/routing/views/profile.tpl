% rebase('layout', title=title)
<section class="profile">
  % if profile['image']:
  <img class="avatar" src="{{profile['image']}}" alt="">
  % end
  <h1>{{profile['username']}}</h1>
  % if profile['bio']:
  <p>{{profile['bio']}}</p>
  % end
  {{!slot('profile_actions', profile=profile)}}
</section>
<h2>Articles by {{profile['username']}}</h2>
% include('article_list', articles=articles)
