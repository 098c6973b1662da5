// The Cache module; see Package.swift for its role.
