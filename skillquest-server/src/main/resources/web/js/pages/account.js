import { focusHeading, navigate, session, toast } from "../app.js";
import { busy, field, showErrors } from "../forms.js";
import { html } from "../html.js";

class SignInPage extends HTMLElement {
  connectedCallback() {
    this.innerHTML = html`<section class="narrow">
      <h1 tabindex="-1">Sign in</h1>
      <form class="card form" novalidate>
        <p class="form-error" role="alert" tabindex="-1" hidden></p>
        ${field({ label: "Username", name: "username", attrs: html`autocomplete="username" required` })}
        ${field({ label: "Password", name: "password", type: "password", attrs: html`autocomplete="current-password" required` })}
        <div class="actions"><button class="button" type="submit">Sign in</button></div>
      </form>
      <p class="muted center">New here? <a href="#/register">Register</a></p>
    </section>`.toString();
    const form = this.querySelector("form");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      try {
        await busy(form, () => session.signIn(data.get("username").trim(), data.get("password")));
        toast(`Welcome, ${session.user.username}!`);
        navigate(this.dataset.next || (location.hash === "#/signin" ? "" : location.hash.slice(2)));
      } catch (error) {
        showErrors(form, error);
      }
    });
    focusHeading(this);
  }
}

class RegisterPage extends HTMLElement {
  connectedCallback() {
    this.innerHTML = html`<section class="narrow">
      <h1 tabindex="-1">Register</h1>
      <form class="card form" novalidate>
        <p class="form-error" role="alert" tabindex="-1" hidden></p>
        ${field({ label: "Username", name: "username", hint: "3 to 32 letters, digits, dots, dashes or underscores.", attrs: html`autocomplete="username" required` })}
        ${field({ label: "Email", name: "email", type: "email", attrs: html`autocomplete="email" required` })}
        ${field({ label: "Password", name: "password", type: "password", hint: "At least 8 characters.", attrs: html`autocomplete="new-password" required` })}
        <div class="actions"><button class="button" type="submit">Register</button></div>
      </form>
      <p class="muted center">Already playing? <a href="#/signin">Sign in</a></p>
    </section>`.toString();
    const form = this.querySelector("form");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const username = data.get("username").trim();
      try {
        await busy(form, async () => {
          await session.register(username, data.get("email").trim(), data.get("password"));
          await session.signIn(username, data.get("password"));
        });
        toast(`Welcome to SkillQuest, ${username}! Pick a challenge to earn XP.`);
        navigate("challenges");
      } catch (error) {
        showErrors(form, error);
      }
    });
    focusHeading(this);
  }
}

customElements.define("sq-signin-page", SignInPage);
customElements.define("sq-register-page", RegisterPage);
