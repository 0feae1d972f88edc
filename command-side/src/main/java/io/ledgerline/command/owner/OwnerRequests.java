package io.ledgerline.command.owner;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The JSON bodies of the owner API; unknown fields are rejected by the web layer. */
final class OwnerRequests {

  /**
   * No control characters (C0, DEL, C1), no line or paragraph separators and no bidirectional
   * overrides, which can make a name display as something else. Ranges, not {@code \p{Cc}}, so that
   * the OpenAPI description's readers (JavaScript regular expressions) check it the same way.
   */
  static final String PRINTABLE =
      "^[^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*$";

  /**
   * An address as HTML's e-mail input accepts it (ASCII, IDN domains in punycode), with a local
   * part of at most 64 characters and a domain of two or more labels.
   */
  static final String EMAIL =
      "^(?=[^@]{1,64}@)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
          + "@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
          + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";

  private OwnerRequests() {}

  record OwnerProfileRequest(
      @Schema(description = "The owner's name", example = "Alice Example")
          @NotBlank
          @Size(min = 1, max = 200)
          @Pattern(regexp = PRINTABLE, message = "must not contain control characters")
          String name,
      @Schema(description = "The owner's e-mail address", example = "alice@example.com")
          @NotNull
          @Size(max = 254)
          @Pattern(regexp = EMAIL, message = "must be an e-mail address such as alice@example.com")
          String email) {}

  /**
   * An owner's profile as the owner and admins read it; after erasure, {@code name} and {@code
   * email} are null and {@code personalData} is {@code ERASED}.
   */
  record OwnerProfileResponse(
      @Schema(example = "alice") String ownerId,
      @Schema(description = "The owner's name; null once erased", example = "Alice Example")
          String name,
      @Schema(
              description = "The owner's e-mail address; null once erased",
              example = "alice@example.com")
          String email,
      @Schema(
              description = "Whether the owner's personal data is there or was erased for good",
              allowableValues = {"PRESENT", "ERASED"},
              example = "PRESENT")
          String personalData,
      @Schema(description = "The sequence number of the owner's last event", example = "0")
          long version) {

    static final String PRESENT = "PRESENT";
    static final String ERASED = "ERASED";

    static OwnerProfileResponse erased(String ownerId, long version) {
      return new OwnerProfileResponse(ownerId, null, null, ERASED, version);
    }
  }
}
