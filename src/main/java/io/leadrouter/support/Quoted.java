package io.leadrouter.support;

/** A caller's text as error messages quote it: whole when short, else its first 60 characters and "…". */
public final class Quoted {

    private static final int LONGEST = 60;

    private Quoted() {
    }

    public static String shortened(String text) {
        return text.length() > LONGEST ? text.substring(0, LONGEST) + "…" : text;
    }
}
