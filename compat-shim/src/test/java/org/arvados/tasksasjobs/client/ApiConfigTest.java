package org.arvados.tasksasjobs.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    private static Map<String, String> env(String host, String token, String insecure) {
        Map<String, String> env = new HashMap<>();
        if (host != null) {
            env.put("ARVADOS_API_HOST", host);
        }
        if (token != null) {
            env.put("ARVADOS_API_TOKEN", token);
        }
        if (insecure != null) {
            env.put("ARVADOS_API_HOST_INSECURE", insecure);
        }
        return env;
    }

    @Test
    void bareHostAndPortMeansHttps() {
        ApiConfig config = ApiConfig.fromEnvironment(env("api.example.org:8443", "t", null));
        assertEquals(URI.create("https://api.example.org:8443"), config.baseUri());
        assertEquals("t", config.token());
        assertFalse(config.insecure());
        assertEquals(RetryPolicy.DEFAULT, config.retry());
    }

    @Test
    void explicitSchemeIsHonoured() {
        assertEquals(URI.create("http://127.0.0.1:8000"),
                ApiConfig.fromEnvironment(env("http://127.0.0.1:8000", "t", null)).baseUri());
        assertEquals(URI.create("https://api.example.org"),
                ApiConfig.fromEnvironment(env("https://api.example.org/", "t", null)).baseUri());
    }

    @Test
    void insecureAcceptsTrueOneYesInAnyCase() {
        for (String yes : new String[] {"true", "TRUE", "1", "yes", "Yes"}) {
            assertTrue(ApiConfig.fromEnvironment(env("h:1", "t", yes)).insecure(), yes);
        }
        for (String no : new String[] {"false", "0", "no", "", "on"}) {
            assertFalse(ApiConfig.fromEnvironment(env("h:1", "t", no)).insecure(), no);
        }
    }

    @Test
    void missingHostOrTokenNamesTheVariable() {
        ArvadosConfigException noHost = assertThrows(ArvadosConfigException.class,
                () -> ApiConfig.fromEnvironment(env(null, "t", null)));
        assertTrue(noHost.getMessage().contains("ARVADOS_API_HOST"), noHost.getMessage());
        ArvadosConfigException noToken = assertThrows(ArvadosConfigException.class,
                () -> ApiConfig.fromEnvironment(env("h:1", " ", null)));
        assertTrue(noToken.getMessage().contains("ARVADOS_API_TOKEN"), noToken.getMessage());
    }

    @Test
    void hostWithAPathIsRefused() {
        ArvadosConfigException failure = assertThrows(ArvadosConfigException.class,
                () -> ApiConfig.fromEnvironment(env("https://h:1/arvados", "t", null)));
        assertTrue(failure.getMessage().contains("ARVADOS_API_HOST"), failure.getMessage());
    }

    @Test
    void toStringHidesTheToken() {
        ApiConfig config = ApiConfig.fromEnvironment(env("h:1", FakeApi.TOKEN, null));
        assertFalse(config.toString().contains(FakeApi.TOKEN), config.toString());
    }

    @Test
    void retryDelaysGrowAndAreCapped() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(10), 3.0, Duration.ofMillis(50));
        assertEquals(Duration.ofMillis(10), policy.delayBeforeRetry(1));
        assertEquals(Duration.ofMillis(30), policy.delayBeforeRetry(2));
        assertEquals(Duration.ofMillis(50), policy.delayBeforeRetry(3));
        assertThrows(ArvadosConfigException.class, () -> new RetryPolicy(0, Duration.ZERO, 1.0, Duration.ZERO));
        assertThrows(ArvadosConfigException.class, () -> new RetryPolicy(1, Duration.ZERO, 0.5, Duration.ZERO));
    }

    @Test
    void crunchEnvironmentReadsJobTaskAndSequence() {
        Map<String, String> env = env("http://127.0.0.1:9", "t", null);
        env.put("JOB_UUID", "zzzzz-8i9sb-000000000000001");
        env.put("TASK_UUID", "zzzzz-ot0gb-000000000000002");
        env.put("TASK_SEQUENCE", "1");
        CrunchEnvironment crunch = CrunchEnvironment.fromMap(env);
        assertEquals("zzzzz-8i9sb-000000000000001", crunch.jobUuid());
        assertEquals("zzzzz-ot0gb-000000000000002", crunch.taskUuid());
        assertEquals(OptionalInt.of(1), crunch.taskSequence());
    }

    @Test
    void crunchEnvironmentNamesAMissingOrMalformedVariable() {
        Map<String, String> env = env("http://127.0.0.1:9", "t", null);
        env.put("TASK_UUID", "zzzzz-ot0gb-000000000000002");
        ArvadosConfigException noJob = assertThrows(ArvadosConfigException.class, () -> CrunchEnvironment.fromMap(env));
        assertTrue(noJob.getMessage().contains("JOB_UUID"), noJob.getMessage());
        env.put("JOB_UUID", "zzzzz-8i9sb-000000000000001");
        env.put("TASK_SEQUENCE", "one");
        ArvadosConfigException badSequence = assertThrows(ArvadosConfigException.class,
                () -> CrunchEnvironment.fromMap(env));
        assertTrue(badSequence.getMessage().contains("TASK_SEQUENCE"), badSequence.getMessage());
    }
}
