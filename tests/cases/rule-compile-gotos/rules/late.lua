-- 200 gotos pending at once: Lua runs out of C stack compiling them
goto l0
goto l1
goto l2
goto l3
goto l4
goto l5
goto l6
goto l7
goto l8
goto l9
goto l10
goto l11
goto l12
goto l13
goto l14
goto l15
goto l16
goto l17
goto l18
goto l19
goto l20
goto l21
goto l22
goto l23
goto l24
goto l25
goto l26
goto l27
goto l28
goto l29
goto l30
goto l31
goto l32
goto l33
goto l34
goto l35
goto l36
goto l37
goto l38
goto l39
goto l40
goto l41
goto l42
goto l43
goto l44
goto l45
goto l46
goto l47
goto l48
goto l49
goto l50
goto l51
goto l52
goto l53
goto l54
goto l55
goto l56
goto l57
goto l58
goto l59
goto l60
goto l61
goto l62
goto l63
goto l64
goto l65
goto l66
goto l67
goto l68
goto l69
goto l70
goto l71
goto l72
goto l73
goto l74
goto l75
goto l76
goto l77
goto l78
goto l79
goto l80
goto l81
goto l82
goto l83
goto l84
goto l85
goto l86
goto l87
goto l88
goto l89
goto l90
goto l91
goto l92
goto l93
goto l94
goto l95
goto l96
goto l97
goto l98
goto l99
goto l100
goto l101
goto l102
goto l103
goto l104
goto l105
goto l106
goto l107
goto l108
goto l109
goto l110
goto l111
goto l112
goto l113
goto l114
goto l115
goto l116
goto l117
goto l118
goto l119
goto l120
goto l121
goto l122
goto l123
goto l124
goto l125
goto l126
goto l127
goto l128
goto l129
goto l130
goto l131
goto l132
goto l133
goto l134
goto l135
goto l136
goto l137
goto l138
goto l139
goto l140
goto l141
goto l142
goto l143
goto l144
goto l145
goto l146
goto l147
goto l148
goto l149
goto l150
goto l151
goto l152
goto l153
goto l154
goto l155
goto l156
goto l157
goto l158
goto l159
goto l160
goto l161
goto l162
goto l163
goto l164
goto l165
goto l166
goto l167
goto l168
goto l169
goto l170
goto l171
goto l172
goto l173
goto l174
goto l175
goto l176
goto l177
goto l178
goto l179
goto l180
goto l181
goto l182
goto l183
goto l184
goto l185
goto l186
goto l187
goto l188
goto l189
goto l190
goto l191
goto l192
goto l193
goto l194
goto l195
goto l196
goto l197
goto l198
goto l199
::l0::
::l1::
::l2::
::l3::
::l4::
::l5::
::l6::
::l7::
::l8::
::l9::
::l10::
::l11::
::l12::
::l13::
::l14::
::l15::
::l16::
::l17::
::l18::
::l19::
::l20::
::l21::
::l22::
::l23::
::l24::
::l25::
::l26::
::l27::
::l28::
::l29::
::l30::
::l31::
::l32::
::l33::
::l34::
::l35::
::l36::
::l37::
::l38::
::l39::
::l40::
::l41::
::l42::
::l43::
::l44::
::l45::
::l46::
::l47::
::l48::
::l49::
::l50::
::l51::
::l52::
::l53::
::l54::
::l55::
::l56::
::l57::
::l58::
::l59::
::l60::
::l61::
::l62::
::l63::
::l64::
::l65::
::l66::
::l67::
::l68::
::l69::
::l70::
::l71::
::l72::
::l73::
::l74::
::l75::
::l76::
::l77::
::l78::
::l79::
::l80::
::l81::
::l82::
::l83::
::l84::
::l85::
::l86::
::l87::
::l88::
::l89::
::l90::
::l91::
::l92::
::l93::
::l94::
::l95::
::l96::
::l97::
::l98::
::l99::
::l100::
::l101::
::l102::
::l103::
::l104::
::l105::
::l106::
::l107::
::l108::
::l109::
::l110::
::l111::
::l112::
::l113::
::l114::
::l115::
::l116::
::l117::
::l118::
::l119::
::l120::
::l121::
::l122::
::l123::
::l124::
::l125::
::l126::
::l127::
::l128::
::l129::
::l130::
::l131::
::l132::
::l133::
::l134::
::l135::
::l136::
::l137::
::l138::
::l139::
::l140::
::l141::
::l142::
::l143::
::l144::
::l145::
::l146::
::l147::
::l148::
::l149::
::l150::
::l151::
::l152::
::l153::
::l154::
::l155::
::l156::
::l157::
::l158::
::l159::
::l160::
::l161::
::l162::
::l163::
::l164::
::l165::
::l166::
::l167::
::l168::
::l169::
::l170::
::l171::
::l172::
::l173::
::l174::
::l175::
::l176::
::l177::
::l178::
::l179::
::l180::
::l181::
::l182::
::l183::
::l184::
::l185::
::l186::
::l187::
::l188::
::l189::
::l190::
::l191::
::l192::
::l193::
::l194::
::l195::
::l196::
::l197::
::l198::
::l199::
return 1
