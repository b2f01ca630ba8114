"""The member's pages: the self-assessment, its results and the action plan."""
