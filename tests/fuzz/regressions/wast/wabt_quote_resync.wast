(assert_malformed Q(module quote "(func (drop (i64.const 18446744073709551616)))") "constant out of range")
