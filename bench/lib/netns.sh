netns_cleanup() { :; }
