package org.dtlab.query.api;

/**
 * A method on a path template, and what answers it.
 *
 * @param <C> what the handler is given to answer with (the resources, or the server's own pages)
 */
public record Route<C>(String method, String template, Handler<C> handler) {

    /**
     * Answers a request matched to a route; {@code context} is the resource a method reference is
     * bound to at call time ({@code SpecResources::listTypes}).
     */
    @FunctionalInterface
    public interface Handler<C> {
        Answer handle(C context, Request request) throws Exception;
    }

    /**
     * A check of a matched request that comes before its method is looked at: a bad parameter is
     * then a 400 (or 404) whatever the method.
     */
    @FunctionalInterface
    public interface Check<C> {
        void check(C context, Request request) throws Exception;
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
