// One script tag puts a live SkillQuest leaderboard on any page:
//   <script type="module" src="https://skillquest.example/web/embed.js"></script>
//   <skillquest-leaderboard api="https://skillquest.example" limit="10"></skillquest-leaderboard>
// The server must list the host page's origin in SKILLQUEST_CORS_ORIGINS for the API calls.
import "./js/leaderboard-element.js";
