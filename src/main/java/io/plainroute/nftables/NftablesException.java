package io.plainroute.nftables;

import java.io.IOException;
import java.util.Optional;

/**
 * A failed nftables operation: libnftables could not be loaded, or it refused commands. In the
 * latter case the message ends with libnftables' own error text, e.g. {@code "replace table ip
 * plainroute: Error: Could not process rule: No such file or directory ..."}.
 */
public final class NftablesException extends IOException {
  private final String errorText;

  /** A failure that libnftables did not explain, such as the library being missing. */
  public NftablesException(String message) {
    super(message);
    this.errorText = null;
  }

  /**
   * @param operation what was attempted, for the message
   * @param errorText what libnftables wrote to its error buffer
   */
  public NftablesException(String operation, String errorText) {
    super(operation + ": " + errorText.strip());
    this.errorText = errorText;
  }

  /** libnftables' error text, with the command and a caret under the offending part. */
  public Optional<String> errorText() {
    return Optional.ofNullable(errorText);
  }
}
