// The Runner module; see Package.swift for its role.
