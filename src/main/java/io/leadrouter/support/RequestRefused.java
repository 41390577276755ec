package io.leadrouter.support;

/** A request the router refuses for a reason the caller can act on: the HTTP status that says so, and why. */
public interface RequestRefused {

    int status();

    String getMessage();
}
