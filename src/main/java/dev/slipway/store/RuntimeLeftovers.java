package dev.slipway.store;

/**
 * What a killed build leaves outside the store's own layout: containers still running, runtime
 * bundles. The build runtime knows how to find and end them; the store knows when it is safe to.
 */
public interface RuntimeLeftovers {
    RuntimeLeftovers NONE = new RuntimeLeftovers() {
        @Override
        public boolean present() {
            return false;
        }

        @Override
        public void clean() {
        }
    };

    /** Whether anything may be left; cheap, and called without any lock. */
    boolean present();

    /** Ends and removes everything left; called only while no session is live in any process. */
    void clean();
}
