/**
 * The event outbox: written inside the transactions whose effects the events describe ({@link
 * io.skillquest.store.events.Outbox}), read in id order by the events API, the live streams and the
 * webhook deliveries ({@link io.skillquest.store.events.EventStore}).
 */
package io.skillquest.store.events;
