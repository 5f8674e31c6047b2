suite_onehop_proof() { :; }
