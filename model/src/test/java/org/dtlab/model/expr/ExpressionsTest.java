package org.dtlab.model.expr;

import org.dtlab.model.ValidationException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionsTest {

    private static final List<String> PROPS =
            List.of("t", "open", "miss-distance", "a.b", "count", "time", "in");
    private static final int T = 0;
    private static final int OPEN = 1;
    private static final int MISS = 2;
    private static final int AB = 3;
    private static final int COUNT = 4;
    private static final int TIME = 5;
    private static final int IN = 6;

    /** Bindings over arrays; NaN is "no value". */
    private static final class Values implements Bindings {
        final double[] current = new double[PROPS.size()];
        final double[] previous = new double[PROPS.size()];
        long time = Instant.parse("2024-03-01T23:15:30Z").toEpochMilli();

        Values() {
            Arrays.fill(current, Double.NaN);
            Arrays.fill(previous, Double.NaN);
        }

        Values set(int idx, double value) {
            current[idx] = value;
            return this;
        }

        Values prev(int idx, double value) {
            previous[idx] = value;
            return this;
        }

        Values at(String instant) {
            time = Instant.parse(instant).toEpochMilli();
            return this;
        }

        @Override
        public double value(int idx) {
            return current[idx];
        }

        @Override
        public double previous(int idx) {
            return previous[idx];
        }

        @Override
        public long timeMillis() {
            return time;
        }
    }

    private static Expression number(String source) {
        return Expressions.number(source, PROPS);
    }

    private static Expression condition(String source) {
        return Expressions.condition(source, PROPS);
    }

    // ---- arithmetic ----------------------------------------------------------------------------

    @Test
    void integerLiteralsWorkWithDoubles() {
        Values v = new Values().set(T, 20.0);
        assertThat(number("t * 1.8 + 32").evaluate(v)).isEqualTo(68.0);
        assertThat(number("2 * t - 1").evaluate(v)).isEqualTo(39.0);
        assertThat(number("t * (1/2)").evaluate(v)).isEqualTo(10.0);
        assertThat(number("(1 + 2) * t").evaluate(v)).isEqualTo(60.0);
        assertThat(number("1/2").evaluate(v)).isEqualTo(0.5);
        assertThat(number("32").evaluate(v)).isEqualTo(32.0);
        assertThat(number("-5").evaluate(v)).isEqualTo(-5.0);
        assertThat(number("true ? t : 0").evaluate(v)).isEqualTo(20.0);
        assertThat(number("math.greatest(t, 100)").evaluate(v)).isEqualTo(100.0);
        assertThat(number("math.least(t, 0, 3)").evaluate(v)).isEqualTo(0.0);
        assertThat(number("math.pow(t, 2)").evaluate(v)).isEqualTo(400.0);
        assertThat(number("math.pow(2, 10)").evaluate(v)).isEqualTo(1024.0);
        assertThat(number("math.clamp(t, 0, 10)").evaluate(v)).isEqualTo(10.0);
        assertThat(number("math.sqrt(t * 5)").evaluate(v)).isEqualTo(10.0);
        assertThat(
                        number("math.abs(-t) + math.round(2.5) + math.floor(1.7) + math.ceil(0.2)")
                                .evaluate(v))
                .isEqualTo(20.0 + 3.0 + 1.0 + 1.0);
        assertThat(
                        number(
                                        "floor(t / 3) + ceil(0.5) + abs(-2) + min(t, 3) + max(t, 3)"
                                                + " + sqrt(16) + pow(2, 3)")
                                .evaluate(v))
                .isEqualTo(6.0 + 1.0 + 2.0 + 3.0 + 20.0 + 4.0 + 8.0);
        assertThat(
                        number(
                                        "round(2.5) + round(-2.5) + round(0.49999999999999994) +"
                                                + " clamp(t, 0, 1)")
                                .evaluate(v))
                .isEqualTo(3.0 - 3.0 + 0.0 + 1.0);
        Values odometer = new Values().set(T, 40_000.0);
        assertThat(number("15000 - (t - 15000 * floor(t / 15000))").evaluate(odometer))
                .isEqualTo(5_000.0);
        assertThat(number("math.log10(1000)").evaluate(v))
                .isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void integersStayIntegersWhereCelNeedsThem() {
        Values v = new Values().set(T, 20.0).set(OPEN, 1.0);
        assertThat(number("[10, 20, 30][1] * t").evaluate(v)).isEqualTo(400.0);
        assertThat(number("[t, 2.5][0]").evaluate(v)).isEqualTo(20.0);
        assertThat(condition("time.getHours() % 2 == 1").test(v)).isTrue(); // 23h
        assertThat(condition("size(props) > 1").test(v)).isTrue();
        assertThat(condition("size(props) > 1.5").test(v)).isTrue();
        assertThat(number("double(size(props)) / 2.0").evaluate(v)).isEqualTo(1.0);
        assertThat(number("size(props)").evaluate(v)).isEqualTo(2.0);
    }

    // ---- conditions ----------------------------------------------------------------------------

    @Test
    void conditions() {
        Values v = new Values().set(T, 20.0).set(OPEN, 1.0).prev(OPEN, 0.0);
        assertThat(condition("t > 2").test(v)).isTrue();
        assertThat(condition("t == 20").test(v)).isTrue();
        assertThat(condition("t != 20").test(v)).isFalse();
        assertThat(condition("t in [10, 20]").test(v)).isTrue();
        assertThat(condition("open == 1.0 && prev.open == 0.0").test(v)).isTrue();
        assertThat(condition("open == 1.0 && prev.open == 0.0").evaluate(v)).isEqualTo(1.0);
        assertThat(condition("t < 0").evaluate(v)).isEqualTo(0.0);
        assertThat(condition("props.exists(p, props[p] > 10)").test(v)).isTrue();
        assertThat(condition("props.all(p, props[p] >= 1)").test(v)).isTrue();
        assertThat(condition("[1, 2, 3].exists(x, x == 2)").test(v)).isTrue();
    }

    // ---- prev, props, time ---------------------------------------------------------------------

    @Test
    void previousValues() {
        Values v = new Values().set(T, 20.0).prev(T, 15.0).prev(MISS, 7.0);
        assertThat(number("t - prev.t").evaluate(v)).isEqualTo(5.0);
        assertThat(number("t - prev[\"t\"]").evaluate(v)).isEqualTo(5.0);
        assertThat(number("prev[\"miss-distance\"] * 2").evaluate(v)).isEqualTo(14.0);
        assertThat(condition("has(prev.t)").test(v)).isTrue();
        assertThat(condition("has(prev.open)").test(v)).isFalse();
        assertThat(number("has(prev.open) ? t - prev.open : 0").evaluate(v)).isEqualTo(0.0);
    }

    @Test
    void propertiesWhoseNamesAreNotIdentifiers() {
        Values v = new Values().set(MISS, 3.0).set(AB, 4.0).set(TIME, 5.0).set(IN, 6.0);
        assertThat(number("props[\"miss-distance\"] * 2").evaluate(v)).isEqualTo(6.0);
        assertThat(number("props[\"a.b\"] + props[\"miss-distance\"]").evaluate(v)).isEqualTo(7.0);
        assertThat(number("props.`miss-distance`").evaluate(v)).isEqualTo(3.0);
        // A property named like a reserved word or variable is only reachable through props.
        assertThat(number("props[\"time\"] + props[\"in\"]").evaluate(v)).isEqualTo(11.0);
        assertThat(Expressions.isVariable("miss-distance")).isFalse();
        assertThat(Expressions.isVariable("time")).isFalse();
        assertThat(Expressions.isVariable("in")).isFalse();
        assertThat(Expressions.isVariable("t_2")).isTrue();
    }

    @Test
    void timeFunctions() {
        Values night = new Values().at("2024-03-01T23:15:30Z");
        Values day = new Values().at("2024-03-01T12:00:00Z");
        Expression late = condition("time.getHours() >= 22");
        assertThat(late.test(night)).isTrue();
        assertThat(late.test(day)).isFalse();
        assertThat(number("time.getMinutes()").evaluate(night)).isEqualTo(15.0);
        assertThat(number("time.getDayOfWeek()").evaluate(night)).isEqualTo(5.0); // Friday
        assertThat(number("time.getHours(\"Europe/Paris\")").evaluate(night)).isEqualTo(0.0);
        assertThat(condition("time > timestamp(\"2024-01-01T00:00:00Z\")").test(night)).isTrue();
        assertThat(
                        condition("time - timestamp(\"2024-03-01T23:00:00Z\") > duration(\"10m\")")
                                .test(night))
                .isTrue();
        assertThat(number("double(int(time))").evaluate(night)).isEqualTo(night.time / 1000);
    }

    // ---- not computable ------------------------------------------------------------------------

    @Test
    void missingValueIsNotComputable() {
        Values v = new Values().set(OPEN, 1.0);
        assertThat(number("t * 1.8 + 32").evaluate(v)).isNaN();
        assertThat(number("t * 1.8 + 32").test(v)).isNull();
        assertThat(condition("t > 2").test(v)).isNull();
        assertThat(condition("t > 2").evaluate(v)).isNaN();
        assertThat(condition("open == 1.0 && prev.open == 0.0").test(v)).isNull();
        assertThat(number("props[\"miss-distance\"]").evaluate(v)).isNaN();
        // Not needed, so not missing: CEL's || and && absorb an error when the other side decides.
        assertThat(condition("open == 1.0 || t > 2").test(v)).isTrue();
        assertThat(condition("open == 0.0 && t > 2").test(v)).isFalse();
    }

    @Test
    void divisionByZeroAndNonFiniteAreNotComputable() {
        Values v = new Values().set(T, 20.0).set(OPEN, 0.0);
        assertThat(number("t / open").evaluate(v)).isNaN();
        assertThat(number("t / 0").evaluate(v)).isNaN();
        assertThat(condition("t / open > 1.0").test(v)).isNull();
        assertThat(number("1 / 0").evaluate(v)).isNaN();
        assertThat(number("size(props) / 0").evaluate(v)).isNaN();
        assertThat(number("math.sqrt(-t)").evaluate(v)).isNaN();
        assertThat(number("math.log(open)").evaluate(v)).isNaN();
        assertThat(number("sqrt(-1)").evaluate(v)).isNaN();
        assertThat(number("pow(10, 400)").evaluate(v)).isNaN();
        assertThat(number("clamp(t, 2, 1)").evaluate(v)).isNaN();
        assertThat(number("t * 1e308 * 10").evaluate(v)).isNaN();
        assertThat(number("t / 4").evaluate(v)).isEqualTo(5.0);
    }

    // ---- reads ---------------------------------------------------------------------------------

    @Test
    void readsTheInputs() {
        assertThat(number("t * 1.8 + 32").reads()).containsExactly(T);
        assertThat(condition("open == 1.0 && prev.open == 0.0").reads()).containsExactly(OPEN);
        assertThat(number("props[\"miss-distance\"] + prev[\"a.b\"] + count").reads())
                .containsExactly(MISS, AB, COUNT);
        assertThat(condition("time.getHours() > 2").reads()).isEmpty();
        assertThat(condition("props.exists(p, props[p] > 1.0)").reads())
                .containsExactly(0, 1, 2, 3, 4, 5, 6);
        // A comprehension variable named like a property is not the property.
        assertThat(condition("[1.0].exists(t, t > 0.0)").reads()).isEmpty();
        Expression e = number("t");
        e.reads()[0] = 42;
        assertThat(e.reads()).containsExactly(T);
        assertThat(e.source()).isEqualTo("t");
    }

    // ---- bad definitions -----------------------------------------------------------------------

    @Test
    void syntaxError() {
        assertThatThrownBy(() -> number("t +"))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("expression 't +': ")
                .hasMessageContaining("mismatched input '<EOF>' expecting an operand")
                .hasMessageContaining(" at 1:4");
        assertThatThrownBy(() -> condition("t >\n  ) 2"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(" at 2:3");
    }

    @Test
    void unknownProperty() {
        assertThatThrownBy(() -> number("tmp * 2"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("expression 'tmp * 2': undeclared reference to 'tmp' at 1:1");
        assertThatThrownBy(() -> condition("t > 1 && prev.tmp > 1"))
                .hasMessageContaining("undeclared property 'tmp'")
                .hasMessageContaining(" at 1:14");
        assertThatThrownBy(() -> number("props[\"nope\"] + 1"))
                .hasMessageContaining("undeclared property 'nope' at 1:7");
        assertThatThrownBy(() -> number("miss-distance"))
                .hasMessageContaining("undeclared reference to 'miss' at 1:1");
    }

    @Test
    void conditionMustBeBoolean() {
        assertThatThrownBy(() -> condition("t * 2"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("expression 't * 2': must be a boolean condition, found double at 1:3");
        assertThatThrownBy(() -> condition("time"))
                .hasMessageContaining(
                        "must be a boolean condition, found google.protobuf.Timestamp at 1:1");
    }

    @Test
    void numberMustBeNumeric() {
        assertThatThrownBy(() -> number("t > 2"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("expression 't > 2': must be a number, found bool at 1:3");
        assertThatThrownBy(() -> number("\"abc\""))
                .hasMessageContaining("must be a number, found string at 1:1");
    }

    @Test
    void typeErrors() {
        assertThatThrownBy(() -> number("t + \"a\""))
                .hasMessage(
                        "expression 't + \"a\"': found no matching overload for '+' applied to"
                                + " '(double, string)' at 1:3");
        assertThatThrownBy(() -> number("size(props) * 1.5"))
                .hasMessageContaining(
                        "found no matching overload for '*' applied to '(int, double)' at 1:13");
        // Only the cause: the product with an undeclared function has no overload either.
        assertThatThrownBy(() -> number("2 * flor(t)"))
                .hasMessage("expression '2 * flor(t)': undeclared reference to 'flor' at 1:9");
        assertThatThrownBy(() -> number("math.nope(t)"))
                .hasMessageContaining("undeclared reference to 'nope'")
                .hasMessageContaining(" at 1:10");
    }

    @Test
    void emptyOrBlank() {
        assertThatThrownBy(() -> number(""))
                .isInstanceOf(ValidationException.class)
                .hasMessage("expression is empty");
        assertThatThrownBy(() -> condition("  \n "))
                .isInstanceOf(ValidationException.class)
                .hasMessage("expression is empty");
        assertThatThrownBy(() -> condition(null))
                .isInstanceOf(ValidationException.class)
                .hasMessage("expression is empty");
    }

    @Test
    void tooLong() {
        String longest = "t + double(size(\"" + "x".repeat(Expressions.MAX_LENGTH - 20) + "\"))";
        assertThat(longest).hasSize(Expressions.MAX_LENGTH);
        assertThat(number(longest).evaluate(new Values().set(T, 1.0)))
                .isEqualTo(Expressions.MAX_LENGTH - 19);

        String source = "t" + " + 1".repeat(Expressions.MAX_LENGTH / 4);
        assertThatThrownBy(() -> number(source))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("too long: 2001 characters, at most 2000");
    }

    @Test
    void tooCostly() {
        // Three nested comprehensions over 7 properties are fine: 7^3 iterations of a small body.
        assertThat(
                        condition(
                                        "props.all(a, props.all(b, props.all(c, props[a] + props[b]"
                                                + " + props[c] > 0.0)))")
                                .test(new Values().set(T, 1.0).set(OPEN, 2.0)))
                .isTrue();
        // Over a 30-element list, the same is 27,000 iterations.
        String list = "[" + "1,".repeat(29) + "1]";
        String costly = list + ".all(a, " + list + ".all(b, " + list + ".all(c, a + b + c > 0)))";
        assertThatThrownBy(() -> condition(costly))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("too costly: estimated cost above the limit of 10000")
                .hasMessageMatching("(?s).* at 1:\\d+$");
        assertThat(number("(".repeat(50) + "t" + ")".repeat(50)).evaluate(new Values().set(T, 1.0)))
                .isEqualTo(1.0);
        String deep = "(".repeat(120) + "t" + ")".repeat(120);
        assertThatThrownBy(() -> number(deep))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("too deeply nested: more than 100 levels")
                .hasMessageMatching("(?s).* at 1:\\d+.*");
    }

    @Test
    void expressionsAreReusableAndThreadSafe() throws Exception {
        Expression e = number("t * 1.8 + 32");
        Thread[] threads = new Thread[4];
        double[] sums = new double[threads.length];
        for (int i = 0; i < threads.length; i++) {
            int n = i;
            threads[i] =
                    new Thread(
                            () -> {
                                Values v = new Values().set(T, n);
                                for (int k = 0; k < 1_000; k++) {
                                    sums[n] += e.evaluate(v);
                                }
                            });
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int i = 0; i < threads.length; i++) {
            assertThat(sums[i])
                    .isEqualTo(1_000 * (i * 1.8 + 32), org.assertj.core.data.Offset.offset(1e-6));
        }
    }
}
