% rebase('layout', title=title)
<section class="error-page">
  <h1>{{status}}</h1>
  <p>{{message}}</p>
  <p><a href="/">Back to the home page</a></p>
</section>
