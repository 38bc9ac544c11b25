#!/usr/bin/perl
# Reads ue's XML reports with a third-party reader of Valgrind's XML
# protocol: Test::Valgrind's parser (Debian's libtest-valgrind-perl), which
# also knows memcheck's error kinds. Each file must parse, and it must find
# as many errors as the file has <error> elements.
# usage: xml_reader.pl FILE.xml...   prints "N files, M errors read"
use strict;
use warnings;
use Test::Valgrind::Parser::XML::Twig;
use Test::Valgrind::Tool::memcheck;

package NewerKinds;
# Test::Valgrind 1.19 predates two kinds Valgrind's memcheck writes since
# 3.10 and 3.18 (FishyValue, ReallocZero); it knows every other one.
use base qw<Test::Valgrind::Tool::memcheck::Report>;
sub valid_kind { $_[1] eq 'FishyValue' || $_[1] eq 'ReallocZero' || $_[0]->SUPER::valid_kind($_[1]) }

package Collect;
sub new { bless { reports => [] }, shift }
sub report { my ($self, $r) = @_; push @{ $self->{reports} }, $r }
sub report_class { 'NewerKinds' }

package main;

my ($files, $errors, $bad) = (0, 0, 0);
for my $file (@ARGV) {
    open my $in, '<', $file or die "$file: $!\n";
    my $want = () = do { local $/; <$in> } =~ /<error>/g;
    seek $in, 0, 0;
    my $sess = Collect->new;
    my $parser = Test::Valgrind::Parser::XML::Twig->new;
    $parser->_session($sess);
    my $ok = eval { $parser->parse($sess, $in); 1 };
    my $got = scalar @{ $sess->{reports} };
    if (!$ok || $got != $want) {
        print "xml_reader: $file: ", ($ok ? "read $got errors of $want" : "not read: $@"), "\n";
        $bad++;
    }
    $files++;
    $errors += $got;
}
print "xml_reader: $files files, $errors errors read\n";
exit($bad ? 1 : 0);
