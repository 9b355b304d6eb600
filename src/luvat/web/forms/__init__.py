"""Form pieces shared by every context (below the domain: no context imports here)."""
