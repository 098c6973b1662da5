// The Talos module; see Package.swift for its role.
