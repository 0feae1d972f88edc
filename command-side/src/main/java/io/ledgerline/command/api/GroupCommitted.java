package io.ledgerline.command.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a command that the API may commit together with other concurrent commands in one database
 * transaction ({@link GroupCommit}). Only for commands whose handling writes nothing but to the
 * database within the unit of work (events, idempotency records, subscribing processors' tables): a
 * group that fails is rolled back and each of its commands is handled again on its own, so a
 * handler with an effect outside the transaction (a payment gateway's call, a key created in
 * another transaction) must not carry it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface GroupCommitted {}
