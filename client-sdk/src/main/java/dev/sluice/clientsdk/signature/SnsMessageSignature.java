package dev.sluice.clientsdk.signature;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * SNS's message signatures: the canonical string of a notification or (un)subscribe confirmation,
 * signed with SHA1withRSA ({@code SignatureVersion} 1) or SHA256withRSA (2). The same canonical string
 * serves the signer (notify) and the verifier (subscribers, tests). Stateless.
 */
public final class SnsMessageSignature {
    private static final List<String> NOTIFICATION_FIELDS = List.of("Message", "MessageId", "Subject", "Timestamp",
            "TopicArn", "Type");
    private static final List<String> CONFIRMATION_FIELDS = List.of("Message", "MessageId", "SubscribeURL",
            "Timestamp", "Token", "TopicArn", "Type");

    private SnsMessageSignature() {
    }

    /**
     * The string SNS signs: for each field of the message type, in this order and when present,
     * {@code name\nvalue\n}. Notifications omit Subject when it is absent.
     */
    public static String canonicalString(Map<String, String> message) {
        List<String> fields = "Notification".equals(message.get("Type")) ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            String value = message.get(field);
            if (value != null) {
                text.append(field).append('\n').append(value).append('\n');
            }
        }
        return text.toString();
    }

    /** The JCA algorithm of a SignatureVersion: "1" SHA1withRSA, "2" SHA256withRSA. */
    public static String algorithm(String signatureVersion) {
        return switch (signatureVersion) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("unknown SignatureVersion " + signatureVersion);
        };
    }

    /** The base64 {@code Signature} of the message's canonical string. */
    public static String sign(Map<String, String> message, String signatureVersion, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance(algorithm(signatureVersion));
            signature.initSign(key);
            signature.update(canonicalString(message).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + algorithm(signatureVersion), e);
        }
    }

    /** True when the message's {@code Signature} is valid for its fields under {@code key} and its SignatureVersion. */
    public static boolean verify(Map<String, String> message, PublicKey key) {
        String signed = message.get("Signature");
        String version = message.get("SignatureVersion");
        if (signed == null || version == null) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance(algorithm(version));
            signature.initVerify(key);
            signature.update(canonicalString(message).getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(signed));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Parses a PEM or DER X.509 certificate, as served at {@code SigningCertURL}. */
    public static X509Certificate certificate(byte[] pemOrDer) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pemOrDer));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate", e);
        }
    }

    /** Verifies against a certificate: valid now and signing the message. */
    public static boolean verify(Map<String, String> message, X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (CertificateException e) {
            return false;
        }
        return verify(message, certificate.getPublicKey());
    }

    /** The PEM text of a DER certificate. */
    public static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }
}
