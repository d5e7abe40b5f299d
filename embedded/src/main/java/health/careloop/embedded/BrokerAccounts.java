package health.careloop.embedded;

import health.careloop.common.db.DatabaseErrors;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may connect to the embedded broker and what each may do, the same accounts as the compose Mosquitto's password
 * file and ACL (deploy/mosquitto/acl): a device signs in with its device id and the password CareLoop issued for it
 * and may publish only under rpm/v1/devices/{its id}/; {@value #INGEST} (this process's ingest, with a password made
 * at each start) reads every device's readings; {@value #SIMULATOR}, only when a password is configured for it, may
 * publish for any device (the demo). Everyone else, anonymous included, is refused at CONNECT. A publish outside a
 * device's own topic is refused by the broker (MQTT 3.1.1 clients are disconnected), so it never reaches ingest.
 *
 * <p>A client id belongs to one account, because a CONNECT with a client id that is in use takes over that session
 * (its subscriptions and queued messages) and disconnects the holder: a device must use its device id as client id,
 * ingest the one this process was configured with, the simulator ids starting with {@value #SIMULATOR_CLIENT_PREFIX}.
 * Without this a device of another practice could sign in with its own password under ingest's client id, receive
 * every practice's readings and keep ingest off the broker (issue 14).
 */
public final class BrokerAccounts implements ExtensionMain {
    public static final String INGEST = "careloop-ingest";
    public static final String SIMULATOR = "careloop-simulator";
    /** Client ids of the simulator account's shared connections start with this. */
    public static final String SIMULATOR_CLIENT_PREFIX = "careloop-sim-";
    /** Device ids as DESIGN.md allows them: no MQTT wildcards or separators, so the ACL topic cannot widen. */
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Logger log = LoggerFactory.getLogger(BrokerAccounts.class);

    private final DeviceCredentialCheck devices;
    private final String ingestClientId;
    private final byte[] ingestPassword;
    private final String ingestPasswordText;
    private final Optional<byte[]> simulatorPassword;

    /** @param ingestClientId the only client id the ingest account may connect with (CARELOOP_INGEST_CLIENT_ID) */
    public BrokerAccounts(DeviceCredentialCheck devices, String ingestClientId, Optional<String> simulatorPassword) {
        this.devices = devices;
        this.ingestClientId = ingestClientId;
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        this.ingestPasswordText = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        this.ingestPassword = ingestPasswordText.getBytes(StandardCharsets.UTF_8);
        this.simulatorPassword = simulatorPassword.map(p -> p.getBytes(StandardCharsets.UTF_8));
    }

    /** The password this process's own ingest signs in with (never written anywhere). */
    String ingestPassword() {
        return ingestPasswordText;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> (SimpleAuthenticator) this::onConnect);
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    }

    private void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        Optional<String> username = input.getConnectPacket().getUserName();
        String clientId = input.getConnectPacket().getClientId();
        byte[] password = input.getConnectPacket().getPassword().map(BrokerAccounts::bytes).orElse(new byte[0]);
        if (username.isEmpty()) {
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "Sign in with the device id and its MQTT password.");
        } else if (username.get().equals(INGEST)) {
            if (requireClientId(output, clientId.equals(ingestClientId))) {
                grant(output, MessageDigest.isEqual(ingestPassword, password), permission("#", TopicPermission.MqttActivity.ALL));
            }
        } else if (username.get().equals(SIMULATOR)) {
            if (requireClientId(output, clientId.startsWith(SIMULATOR_CLIENT_PREFIX))) {
                boolean ok = simulatorPassword.isPresent() && MessageDigest.isEqual(simulatorPassword.get(), password);
                grant(output, ok, permission("rpm/v1/devices/+/readings", TopicPermission.MqttActivity.PUBLISH));
            }
        } else if (!DEVICE_ID.matcher(username.get()).matches() || username.get().startsWith("careloop-")) {
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "Unknown device or wrong password.");
        } else if (requireClientId(output, clientId.equals(username.get()))) {
            String deviceId = username.get();
            var async = output.async(Duration.ofSeconds(10), TimeoutFallback.FAILURE);
            Services.extensionExecutorService().submit(() -> {
                boolean ok;
                try {
                    ok = devices.matches(deviceId, new String(password, StandardCharsets.UTF_8));
                } catch (Exception e) {
                    log.warn("Device credential check failed: {}", DatabaseErrors.describe(e));
                    ok = false;
                }
                grant(output, ok, permission("rpm/v1/devices/" + deviceId + "/#", TopicPermission.MqttActivity.PUBLISH));
                async.resume();
            });
        }
    }

    /** Refuses the CONNECT unless its client id is one this account may use; true when it may go on. */
    private static boolean requireClientId(SimpleAuthOutput output, boolean allowed) {
        if (!allowed) {
            output.failAuthentication(ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "This account may not use that client id: a device connects with its device id as client id.");
        }
        return allowed;
    }

    private static void grant(SimpleAuthOutput output, boolean ok, TopicPermission permission) {
        if (!ok) {
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "Unknown device or wrong password.");
            return;
        }
        output.getDefaultPermissions().addAll(List.of(permission));
        output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
    }

    private static TopicPermission permission(String filter, TopicPermission.MqttActivity activity) {
        return Builders.topicPermission().topicFilter(filter).type(TopicPermission.PermissionType.ALLOW).activity(activity)
                .sharedSubscription(TopicPermission.SharedSubscription.ALL).build();
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
