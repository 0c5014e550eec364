using System.Text;
using System.Text.Json.Nodes;
using Spotalis.Operator.Webhook.Admission;

namespace Spotalis.Operator.Tests.Webhook;

public sealed class AdmissionEnvelopeTests
{
    [Theory]
    [InlineData("", "empty")]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1,2,3]", "expected a JSON object")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"1"}}""", "unsupported apiVersion")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"Pod"}""", "expected AdmissionReview")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}""", "no 'request'")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}}""", "no 'uid'")]
    public void Malformed_review_gets_400_with_a_clear_message(string body, string expected)
    {
        var context = new WebhookTestContext();

        var result = context.Handler.Handle(body);

        Assert.Equal(400, result.StatusCode);
        Assert.Equal(AdmissionResultKind.Invalid, result.Kind);
        Assert.StartsWith("invalid AdmissionReview: ", result.BodyText, StringComparison.Ordinal);
        Assert.Contains(expected, result.BodyText, StringComparison.Ordinal);
        Assert.Equal(1, context.RequestCount("invalid"));
    }

    [Fact]
    public void Response_echoes_the_uid_as_an_admission_v1_review()
    {
        var context = new WebhookTestContext();

        var result = context.Handler.Handle(TestPods.Review(TestPods.DeploymentPod(), uid: "705ab4f5-6393-11e8-b7cc-42010a800002"));

        var json = JsonNode.Parse(result.Body)!;
        Assert.Equal("admission.k8s.io/v1", json["apiVersion"]!.GetValue<string>());
        Assert.Equal("AdmissionReview", json["kind"]!.GetValue<string>());
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", json["response"]!["uid"]!.GetValue<string>());
        Assert.True(json["response"]!["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public void Pod_without_owner_is_allowed_untouched()
    {
        var context = new WebhookTestContext();
        var pod = TestPods.DeploymentPod();
        pod["metadata"]!.AsObject().Remove("ownerReferences");
        pod["metadata"]!["name"] = "debug";

        var answer = context.Admit(pod);

        Assert.True(answer.Allowed);
        Assert.Null(answer.Patch);
        Assert.Equal(AdmissionResultKind.Skipped, answer.Result.Kind);
        Assert.Contains("no controller owner", answer.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_of_a_job_is_allowed_untouched()
    {
        var context = new WebhookTestContext();
        var pod = TestPods.DeploymentPod();
        pod["metadata"]!["ownerReferences"]![0]!["kind"] = "Job";

        var answer = context.Admit(pod);

        Assert.Null(answer.Patch);
        Assert.Contains("Job", answer.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_whose_owner_is_not_opted_in_is_allowed_untouched()
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 10, annotations: WebhookTestContext.Split(100));

        var answer = context.Admit(TestPods.DeploymentPod());

        Assert.Null(answer.Patch);
        Assert.Equal(0, context.DecisionCount("spot") + context.DecisionCount("on-demand"));
        Assert.Equal(1, context.RequestCount("skipped"));
    }

    [Fact]
    public void Owner_missing_from_the_cache_is_allowed_untouched_after_the_wait()
    {
        var context = new WebhookTestContext(ownerWait: TimeSpan.FromMilliseconds(50));

        var answer = context.Admit(TestPods.DeploymentPod());

        Assert.Null(answer.Patch);
        Assert.Contains("no Deployment or StatefulSet in the cache", answer.Result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE")]
    [InlineData("DELETE")]
    public void Only_create_is_mutated(string operation)
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 10, WebhookTestContext.OptedIn, WebhookTestContext.Split(100));

        var answer = context.Admit(TestPods.DeploymentPod(), operation: operation);

        Assert.Null(answer.Patch);
        Assert.Equal(AdmissionResultKind.Skipped, answer.Result.Kind);
    }

    [Fact]
    public void Unsynced_cache_allows_without_patch_and_counts_an_error()
    {
        var context = new WebhookTestContext();
        context.View.AddDeployment("shop", "api", 10, WebhookTestContext.OptedIn, WebhookTestContext.Split(100));
        context.View.IsSynced = false;

        var answer = context.Admit(TestPods.DeploymentPod());

        Assert.True(answer.Allowed);
        Assert.Null(answer.Patch);
        Assert.Equal(1, context.RequestCount("error"));
    }

    [Fact]
    public void Internal_failure_allows_without_patch_and_counts_an_error()
    {
        var context = new WebhookTestContext();
        context.View.FailWith = new InvalidOperationException("cache exploded");

        var answer = context.Admit(TestPods.DeploymentPod());

        Assert.True(answer.Allowed);
        Assert.Null(answer.Patch);
        Assert.Equal(AdmissionResultKind.Error, answer.Result.Kind);
        Assert.Contains("cache exploded", answer.Result.Reason, StringComparison.Ordinal);
        Assert.Equal(1, context.RequestCount("error"));
    }

    [Fact]
    public void Every_request_is_timed()
    {
        var context = new WebhookTestContext();

        context.Handler.Handle(TestPods.Review(TestPods.DeploymentPod()));
        context.Handler.Handle(Encoding.UTF8.GetBytes("garbage"));

        Assert.Equal(2, context.Metrics.Duration.Count);
    }
}
