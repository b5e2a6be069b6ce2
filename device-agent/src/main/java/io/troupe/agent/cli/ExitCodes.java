package io.troupe.agent.cli;

/** The command line's exit codes, one per kind of outcome; mapped once from a status. */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int OTHER = 1;
  public static final int USAGE = 2;
  public static final int REFUSED = 3;
  public static final int NOT_FOUND = 4;
  public static final int POLICY = 5;
  public static final int UNAVAILABLE = 6;
  public static final int TIMEOUT = 7;

  private ExitCodes() {}

  /** 2xx → 0, 400 → 2, 401/403/410 → 3, 404 → 4, 429 → 5, 503 → 6, 504 → 7, else 1. */
  public static int forStatus(final int status) {
    if (status >= 200 && status < 300) {
      return OK;
    }
    return switch (status) {
      case 400 -> USAGE;
      case 401, 403, 410 -> REFUSED;
      case 404 -> NOT_FOUND;
      case 429 -> POLICY;
      case 503 -> UNAVAILABLE;
      case 504 -> TIMEOUT;
      default -> OTHER;
    };
  }
}
