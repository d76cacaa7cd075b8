package org.dtlab.query.api;

/**
 * What the server serves itself at its root, outside the prefix ({@link Routes#ROOT}). Each takes
 * the matched request, as every handler does, whether it needs it or not.
 */
public interface RootPages {

    /** The counters ({@code /observe}); authenticated like the API. */
    Reply observe(Request request);

    Reply fitness(Request request);

    Reply openApi(Request request);

    /** The twin explorer's page ({@code /ui}). */
    Reply explorerPage(Request request);

    /** One of the explorer's files ({@code /ui/{file}}), a 404 for any other. */
    Reply explorerFile(Request request);
}
