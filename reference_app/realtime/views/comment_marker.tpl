% # Lesson 8: each comment's id, for the live script (the "comment_actions" slot).
<data class="comment-id" value="{{comment['id']}}" hidden></data>
