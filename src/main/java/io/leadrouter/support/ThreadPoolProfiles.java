package io.leadrouter.support;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;

/** The router's thread pools are sized by Camel thread pool profiles declared in application.properties. */
public final class ThreadPoolProfiles {

    private ThreadPoolProfiles() {
    }

    /** The profile {@code id}; a missing one (or one without a pool size) stops startup, naming its key. */
    public static ThreadPoolProfile declared(CamelContext context, String id) {
        ThreadPoolProfile profile = context.getExecutorServiceManager().getThreadPoolProfile(id);
        if (profile == null || profile.getPoolSize() == null) {
            throw new IllegalStateException("camel.threadpool.config[" + id + "].pool-size: missing from application.properties");
        }
        return profile;
    }
}
