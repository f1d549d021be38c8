<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{title}} · Conduit</title>
  <meta name="description" content="{{get('description') or 'Conduit: articles, comments and profiles, from the Stagecraft course reference app.'}}">
  <link rel="icon" href="/favicon.ico" sizes="32x32">
  <link rel="stylesheet" href="/static/style.css">
  {{!slot('head')}}
</head>
<body>
% # The first thing a keyboard reaches: past the top bar, straight to the page's own content.
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
  <nav class="container" aria-label="Site">
    <a class="brand" href="/">conduit</a>
    <span class="stage" title="The lesson this app stops at">stage {{stage}}</span>
    <ul>
      <li><a href="/">Home</a></li>
      {{!slot('nav')}}
    </ul>
  </nav>
</header>
<main id="main" class="container" tabindex="-1">
{{!base}}
</main>
<footer class="container"><p>Stagecraft reference app · server-rendered, no JavaScript needed</p></footer>
</body>
</html>
