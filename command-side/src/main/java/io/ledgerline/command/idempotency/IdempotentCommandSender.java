package io.ledgerline.command.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerline.command.api.AppendRaceRetry;
import io.ledgerline.command.api.GroupCommit;
import io.ledgerline.command.api.RequestMetadata;
import io.ledgerline.command.metrics.CommandMeters;
import io.ledgerline.platform.web.problem.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.axonframework.messaging.MetaData;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Sends a command for an HTTP request, safely retryable:
 *
 * <ul>
 *   <li>with an {@code Idempotency-Key}, a repeated request (same subject, key, method, path and
 *       body) gets the first outcome and has no second effect; the same key with another request is
 *       rejected; of concurrent requests with one key exactly one takes effect;
 *   <li>a command that lost an append race to a concurrent writer (another instance) is decided
 *       again on the new state, until it succeeds or is truly rejected; only when the account stays
 *       contended past the command timeout does the client get a 503 to retry.
 * </ul>
 */
@Component
public class IdempotentCommandSender {

  static final ObjectMapper RESULT_JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private static final ObjectMapper CANONICAL_JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final AppendRaceRetry RACES =
      AppendRaceRetry.within(Duration.ofSeconds(10), ContendedException::new);

  private final GroupCommit commands;
  private final RequestMetadata requestMetadata;
  private final IdempotencyRecords records;
  private final CommandMeters meters;

  IdempotentCommandSender(
      GroupCommit commands,
      RequestMetadata requestMetadata,
      IdempotencyRecords records,
      CommandMeters meters) {
    this.commands = commands;
    this.requestMetadata = requestMetadata;
    this.records = records;
    this.meters = meters;
  }

  /**
   * Sends {@code command} on behalf of {@code request} and returns the handler's result, or the
   * first result of an earlier identical request with the same key.
   *
   * @param body the parsed request body (part of the request's fingerprint), or null
   */
  public <R> R send(Object command, HttpServletRequest request, Object body, Class<R> resultType) {
    return send(() -> command, request, body, resultType);
  }

  /**
   * As {@link #send(Object, HttpServletRequest, Object, Class)}, but builds the command only when
   * it is to be dispatched: a request answered with the outcome of an earlier one builds none. For
   * commands that carry sealed personal data, since sealing may create the owner's key, or be
   * refused once the owner is erased, and neither may happen to a replay.
   */
  public <R> R send(
      Supplier<?> command, HttpServletRequest request, Object body, Class<R> resultType) {
    MetaData metadata = requestMetadata.of(request);
    String key = request.getHeader("Idempotency-Key");
    if (key == null) {
      return dispatchWithRetry(command.get(), metadata, resultType);
    }
    if (!VALID_KEY.matcher(key).matches()) {
      throw new InvalidRequestException(
          "Idempotency-Key must be 1 to 255 visible ASCII characters");
    }
    String scope = requestMetadata.subject(request);
    String hash = fingerprint(request, body);
    Optional<R> earlier = earlierOutcome(scope, key, hash, resultType);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    Map<String, Object> keyed = new HashMap<>(metadata);
    keyed.put(IdempotencyInterceptor.SCOPE, scope);
    keyed.put(IdempotencyInterceptor.KEY, key);
    keyed.put(IdempotencyInterceptor.REQUEST_HASH, hash);
    try {
      return dispatchWithRetry(command.get(), MetaData.from(keyed), resultType);
    } catch (RuntimeException e) {
      if (causedBy(e, DuplicateKeyException.class)) {
        // A concurrent request with this key committed first: answer with its outcome.
        return earlierOutcome(scope, key, hash, resultType).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  private <R> R dispatchWithRetry(Object command, MetaData metadata, Class<R> resultType) {
    return resultType.cast(RACES.sendAndWait(commands::sendAndWait, command, metadata, TIMEOUT));
  }

  private <R> Optional<R> earlierOutcome(
      String scope, String key, String hash, Class<R> resultType) {
    return records
        .find(scope, key)
        .map(
            outcome -> {
              if (!outcome.requestHash().equals(hash)) {
                throw new IdempotencyConflictException(key);
              }
              meters.idempotentReplay();
              try {
                return RESULT_JSON.readValue(outcome.resultJson(), resultType);
              } catch (IOException e) {
                throw new IllegalStateException("unreadable stored outcome for key " + key, e);
              }
            });
  }

  private static String fingerprint(HttpServletRequest request, Object body) {
    try {
      String canonical =
          request.getMethod()
              + ' '
              + request.getRequestURI()
              + ' '
              + (body == null ? "" : CANONICAL_JSON.writeValueAsString(body));
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint the request", e);
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
