package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthFlowTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void registerReturnsTheUserWithoutItsPassword() {
        var r = server.post("/auth/register", Map.of("username", "Alice", "email", "alice@example.com",
                "password", "correct horse", "time_zone", "Europe/Paris"), null);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.get("username").asText()).isEqualTo("Alice");
        assertThat(r.get("email").asText()).isEqualTo("alice@example.com");
        assertThat(r.get("role").asText()).isEqualTo("user");
        assertThat(r.get("time_zone").asText()).isEqualTo("Europe/Paris");
        assertThat(r.get("id").asLong()).isPositive();
        assertThat(r.get("created_at").isTextual()).isTrue();
        assertThat(r.text()).doesNotContain("password");
    }

    @Test
    void loginMeRefreshLogout() {
        var bob = server.registerAndLogin("bob");
        var me = server.get("/auth/me", bob.access());
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.get("username").asText()).isEqualTo("bob");
        assertThat(me.get("id").asLong()).isEqualTo(bob.userId());

        var refreshed = server.post("/auth/refresh", Map.of("refresh_token", bob.refresh()), null);
        assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
        assertThat(refreshed.get("token_type").asText()).isEqualTo("bearer");
        assertThat(refreshed.get("expires_in").asLong()).isEqualTo(1800);
        var access = refreshed.get("access_token").asText();
        var refresh = refreshed.get("refresh_token").asText();
        assertThat(refresh).isNotEqualTo(bob.refresh());
        assertThat(server.get("/auth/me", access).status()).isEqualTo(200);

        assertThat(server.post("/auth/logout", null, access).status()).isEqualTo(204);
        assertThat(server.get("/auth/me", access).status()).isEqualTo(401);
        assertThat(server.post("/auth/refresh", Map.of("refresh_token", refresh), null).status()).isEqualTo(401);
        // the first access token belongs to the same login, so logout ended it too
        assertThat(server.get("/auth/me", bob.access()).status()).isEqualTo(401);
    }

    @Test
    void adminTokenWorks() {
        var me = server.get("/auth/me", server.adminToken());
        assertThat(me.get("role").asText()).isEqualTo("admin");
    }
}
