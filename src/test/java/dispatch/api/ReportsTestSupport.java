package dispatch.api;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** A settable clock and a count of the SQL statements the service executes, shared by the report tests. */
@TestConfiguration(proxyBeanMethods = false)
class ReportsTestSupport {

    @Bean
    @Primary
    static SettableClock settableClock() {
        return new SettableClock(Instant.parse("2026-11-25T09:00:00Z"));
    }

    @Bean
    static BeanPostProcessor countingDataSourcePostProcessor() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof DataSource ds && !(bean instanceof Counting) ? new Counting(ds) : bean;
            }
        };
    }

    static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Counts statement executions (every {@code execute*} call) on connections from the pool. */
    static final class Counting extends DelegatingDataSource {
        static final AtomicLong STATEMENTS = new AtomicLong();

        Counting(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return wrap(Connection.class, super.getConnection());
        }

        @SuppressWarnings("unchecked")
        private static <T> T wrap(Class<T> type, T target) {
            InvocationHandler handler = (proxy, method, args) -> {
                if (method.getName().startsWith("execute")) STATEMENTS.incrementAndGet();
                Object result;
                try {
                    result = method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (result instanceof PreparedStatement s) return wrap(PreparedStatement.class, s);
                if (result instanceof Statement s && method.getReturnType() == Statement.class) {
                    return wrap(Statement.class, s);
                }
                return result;
            };
            return (T) Proxy.newProxyInstance(Counting.class.getClassLoader(), new Class<?>[] {type}, handler);
        }
    }
}
