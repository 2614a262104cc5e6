package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registration refuses weak passwords with a 400 naming the password field. */
class PasswordPolicyTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  private static TestServer.Response register(String username, String password) {
    return server.post(
        "/auth/register",
        Map.of("username", username, "email", username + "@example.test", "password", password),
        null);
  }

  private static void assertRefused(String username, String password, String reason) {
    var r = register(username, password);
    assertThat(r.status()).as("'%s': %s", password, r).isEqualTo(400);
    assertThat(r.get("errors").fieldNames()).toIterable().containsExactly("password");
    assertThat(r.get("errors").get("password").asText()).contains(reason);
  }

  @Test
  void weakPasswordsAreRefused() {
    assertRefused("weak1", "aaaaaaaa", "one character repeated");
    assertRefused("weak2", "        ", "only spaces");
    assertRefused("weak3", "\t \t \t \t ", "only spaces");
    assertRefused("gandalf-the-grey", "gandalf-the-grey", "username");
    assertRefused("Mallory", "xx-mallory-99", "username");
    assertRefused("weak4", "password1", "most common");
    assertRefused("weak5", "Iloveyou", "most common"); // case does not matter
    assertRefused("weak6", "12345678", "most common");
    assertRefused("weak7", "short", "8 to 128");
  }

  @Test
  void aReasonablePasswordIsAccepted() {
    assertThat(register("strong1", "violet-otter-canoe").status()).isEqualTo(201);
    assertThat(register("strong2", "correct horse").status()).isEqualTo(201);
  }
}
