"""Official figures entered by analysts (survey and administrative), which the 2030 targets are judged on."""
