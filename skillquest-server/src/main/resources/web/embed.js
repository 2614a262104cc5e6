// One script tag puts a live SkillQuest leaderboard on a host page (SERVER stands for this server's
// own address; the app itself loads nothing from any other origin):
//   <script type="module" src="SERVER/web/embed.js"></script>
//   <skillquest-leaderboard api="SERVER" limit="10"></skillquest-leaderboard>
// The server must list the host page's origin in SKILLQUEST_CORS_ORIGINS for the API calls.
import "./js/leaderboard-element.js";
