% rebase('layout', title=title)
<section class="profile">
  % if profile['image']:
  <img class="avatar" src="{{profile['image']}}" alt="">
  % end
  <h1>{{profile['username']}}</h1>
  % if profile['bio']:
  <p>{{profile['bio']}}</p>
  % end
  % if viewer and viewer['username'] != profile['username'] and has_route('/profile/<username>/follow'):
  <form method="post" action="/profile/{{quote(profile['username'])}}/follow" class="inline">
    % include('csrf')
    <button>{{'Unfollow' if profile['following'] else 'Follow'}} {{profile['username']}}</button>
  </form>
  % end
</section>
<h2>Articles by {{profile['username']}}</h2>
% include('article_list', articles=articles)
