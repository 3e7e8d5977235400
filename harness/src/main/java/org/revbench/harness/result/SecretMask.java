package org.revbench.harness.result;

import java.util.regex.Pattern;

/** Keeps passwords out of messages: a JDBC URL may carry one ({@code ?password=} or {@code ;PASSWORD=}). */
final class SecretMask {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&;]*");

    private SecretMask() {}

    static String url(String url) {
        return url == null ? "null" : PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
    }

    /**
     * One line naming {@code e} and its root cause, with password parameters and the password itself masked
     * (a driver or Flyway may quote the URL in its message).
     */
    static String describe(Throwable e, String password) {
        StringBuilder s = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !String.valueOf(e.getMessage()).contains(root.getMessage())) {
            s.append(" (caused by ").append(root.getClass().getSimpleName()).append(": ").append(root.getMessage()).append(')');
        }
        String text = url(s.toString().replaceAll("\\s*\\R\\s*", " ").strip());
        return password == null || password.isEmpty() ? text : text.replace(password, "***");
    }
}
