using OneHop.Core.Routing.Auth;

namespace OneHop.Core.Tests.Routing.Auth;

/// <summary>
/// The htpasswd formats, each with hashes made by the tools users make them with: Apache's <c>htpasswd</c> (-B, -m, -s)
/// and <c>openssl passwd -1/-apr1</c>, and the example of Apache's password-formats page.
/// </summary>
public sealed class PasswordHashesTests
{
    [Theory]
    [InlineData("wonderland", "$2y$05$Ph4ss0jnJWGJChoRuAo4FOQQgc7V5bvw/y09Poe87EScR7FyX9g7a")] // htpasswd -B -C 5
    [InlineData("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")] // OpenBSD's bcrypt test vector
    [InlineData("builder", "$apr1$VCq0M6iW$kNa6ztUW5i/3ozw6ZsWRp0")] // htpasswd -m
    [InlineData("myPassword", "$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/")] // httpd.apache.org/docs/2.4/misc/password_encryptions.html
    [InlineData("password", "$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/")] // openssl passwd -apr1 -salt saltsalt
    [InlineData("password", "$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/")] // openssl passwd -1 -salt saltsalt
    [InlineData("secret", "$1$saltsalt$9xy1btjgzLYfb7hivXtC//")]
    [InlineData("singer", "{SHA}X9zPCbMFzMPlYX7+7QubnxKI7iM=")] // htpasswd -s
    [InlineData("myPassword", "{SHA}VBPuJHI7uixaa6LQGWx4s+5GKNE=")] // the Apache page again
    [InlineData("plain", "{PLAIN}plain")]
    public void The_password_matches_its_hash_and_nothing_else_does(string password, string hash)
    {
        Assert.Null(PasswordHashes.Problem(hash));
        Assert.True(PasswordHashes.Verify(password, hash));
        Assert.False(PasswordHashes.Verify(password + "x", hash));
        Assert.False(PasswordHashes.Verify(string.Empty, hash));
    }

    [Fact]
    public void Apr1_of_the_apache_example_is_computed_byte_for_byte() =>
        Assert.Equal("$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/", Md5Crypt.Hash("myPassword", "$apr1$", "r31....."));

    [Theory]
    [InlineData("dYMIhgAETV4fg", "DES crypt")] // htpasswd -d
    [InlineData("$6$uN5.ThtlSQOuV/p9$93.t2JDpuNzc3I9UH1yV.kX7DiQfW/C49wXuK1gepuBPim6Ia5PJq1B5Xmut/bMSNtRdvsIHexJV8Tbjbzg3c.", "SHA-crypt")] // htpasswd -5
    [InlineData("$5$salt$hash", "SHA-crypt")]
    [InlineData("$2y$05$short", "bcrypt")]
    [InlineData("{SHA}notbase64!", "{SHA}")]
    [InlineData("$apr1$nohash", "MD5-crypt")]
    public void Hashes_onehop_cannot_check_are_refused_with_why(string hash, string named)
    {
        Assert.Contains(named, PasswordHashes.Problem(hash), StringComparison.Ordinal);
        Assert.False(PasswordHashes.Verify("diver", hash));
    }

    [Fact]
    public void An_htpasswd_file_gives_its_users_and_names_the_lines_it_cannot_use()
    {
        var problems = new List<string>();
        var users = Htpasswd.Read("# users\nbob:$apr1$VCq0M6iW$kNa6ztUW5i/3ozw6ZsWRp0\r\n\ndave:dYMIhgAETV4fg\nnocolon\ncarol:{SHA}X9zPCbMFzMPlYX7+7QubnxKI7iM=\n", problems);
        Assert.Equal(["bob", "carol"], users.Keys.Order());
        Assert.Equal(2, problems.Count);
        Assert.StartsWith("line 4 (user 'dave'): DES crypt", problems[0], StringComparison.Ordinal);
        Assert.Equal("line 5 is not user:hash", problems[1]);
        Assert.DoesNotContain(problems, p => p.Contains("dYMIhgAETV4fg", StringComparison.Ordinal)); // a hash is never repeated in a message
    }
}
