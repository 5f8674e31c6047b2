suite_algorithms() { :; }
