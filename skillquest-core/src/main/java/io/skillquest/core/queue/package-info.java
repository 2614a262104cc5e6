/** The award queue's message format and the Redis key names shared by the server and the worker. */
package io.skillquest.core.queue;
