package org.ttyaudit.server.blob.s3;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;

/**
 * One clear reason for an SDK failure: the HTTP status and S3 error code with a hint for the usual mistakes
 * (credentials, clock, region), or what went wrong on the way (connection refused, unknown host, untrusted
 * certificate, timeout). Built from status, error code and messages only: the SDK never puts a secret key there,
 * and neither does this class. Stateless.
 */
final class S3Errors {
    private S3Errors() {
    }

    static String describe(SdkException e) {
        if (e instanceof AwsServiceException a) {
            AwsErrorDetails d = a.awsErrorDetails();
            String code = d == null ? null : d.errorCode();
            String message = d == null ? null : d.errorMessage();
            return "HTTP " + a.statusCode() + (code != null ? " " + code : "")
                    + (message != null && !message.isBlank() ? ": " + message : "") + hint(a.statusCode(), code);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return "no answer in time (" + e.getMessage() + ")";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return "TLS failed: " + t.getMessage() + " (is the endpoint's certificate signed by a CA of ca_file,"
                        + " or of the system when there is none, and does it name the endpoint's host?)";
            }
            if (t instanceof ConnectException) {
                return "cannot connect: " + t.getMessage();
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof SocketTimeoutException) {
                return "no answer in time: " + t.getMessage();
            }
        }
        return e.getMessage();
    }

    private static String hint(int status, String code) {
        if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
            return " (the access key id or its secret is wrong)";
        }
        if ("RequestTimeTooSkewed".equals(code)) {
            return " (this host's clock is off)";
        }
        if (status == 403) {
            return " (check the access key id and its secret, and that they may read and write the bucket)";
        }
        if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
            return " (is the region right?)";
        }
        return "";
    }
}
