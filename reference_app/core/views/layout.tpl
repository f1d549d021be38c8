<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{title}} · Conduit</title>
  <link rel="stylesheet" href="/static/style.css">
  {{!slot('head')}}
</head>
<body>
<header class="topbar">
  <nav class="container">
    <a class="brand" href="/">conduit</a>
    <span class="stage" title="The lesson this app stops at">stage {{stage}}</span>
    <ul>
      <li><a href="/">Home</a></li>
      {{!slot('nav')}}
    </ul>
  </nav>
</header>
<main class="container">
{{!base}}
</main>
<footer class="container"><p>Stagecraft reference app · server-rendered, no JavaScript needed</p></footer>
</body>
</html>
